# The seed notebook, step 1: everything by hand, in NumPy.
# Cells In [33], In [37],
# copied unchanged (trailing spaces aside) from seeds/000_ecf7e1d4f145254b.txt.
# The code still says `import torch`; run it on torchless with
#     python -m torchless run examples/notebook_unchanged/step1_manual_numpy.py


# In [33]:
import torch
import numpy as np
import torch.nn as nn


# In [37]:
# f = w * x

# f = 2 * x

# some training examples

x = np.array([1,2,3,4], dtype=np.float32)
y = np.array([2,4,6,8], dtype=np.float32)

# Initializing our weights

w = 0.0

# model prediction

def forward(x):
  return w*x


# Loss = MSE

def loss(y,y_predicted):
  return ((y_predicted-y)**2).mean()

# gradient
# MSE = 1/N * (w*x-y)**2
# dJ/dw = 1/N 2x (w*x-y)

def gradient(x,y,y_predicted):
  return np.dot(2*x, y_predicted-y).mean()

print(f'Prediction before training : f(5) = {forward(5):.3f}')

# Training

learning_rate = 0.01
n_iters = 20

for epoch in range(n_iters):

  # prediction = forward pass
  y_pred = forward(x)

  # loss
  l = loss(y,y_pred)

  # gradients
  dw = gradient(x,y,y_pred)

  # update weights
  w -= learning_rate * dw

  if epoch % 2 == 0:
    print(f'epoch {epoch+1}: w={w:.3f},loss = {l:.8f}')

print(f'Prediction after training : f(5) = {forward(5):.3f}')
