# The seed notebook, step 3: loss from nn, update by optim.
# Cells In [33], In [39],
# copied unchanged (trailing spaces aside) from seeds/000_ecf7e1d4f145254b.txt.
# The code still says `import torch`; run it on torchless with
#     python -m torchless run examples/notebook_unchanged/step3_loss_optimizer.py


# In [33]:
import torch
import numpy as np
import torch.nn as nn


# In [39]:
# f = w * x

# f = 2 * x

# some training examples

x = torch.tensor([1,2,3,4], dtype=torch.float32)
y = torch.tensor([2,4,6,8], dtype=torch.float32)

# Initializing our weights

w = torch.tensor(0.0, dtype=torch.float32,requires_grad=True)

# model prediction

def forward(x):
  return w*x




print(f'Prediction before training : f(5) = {forward(5):.3f}')

# Training

learning_rate = 0.01
n_iters = 100

loss = nn.MSELoss()
optimizer = torch.optim.SGD([w],lr=learning_rate)

for epoch in range(n_iters):

  # prediction = forward pass
  y_pred = forward(x)

  # loss
  l = loss(y,y_pred)

  # gradients = backward pass
  l.backward() # dl/dw

  # update weights
  optimizer.step()

  # Zero gradients
  optimizer.zero_grad()

  if epoch % 10 == 0:
    print(f'epoch {epoch+1}: w={w:.3f},loss = {l:.8f}')

print(f'Prediction after training : f(5) = {forward(5):.3f}')
