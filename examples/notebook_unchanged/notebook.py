# The seed notebook, every cell in order.
# Cells In [33], In [34], In [35], In [36], In [37], In [38], In [39], In [41],
# copied unchanged (trailing spaces aside) from seeds/000_ecf7e1d4f145254b.txt.
# The code still says `import torch`; run it on torchless with
#     python -m torchless run examples/notebook_unchanged/notebook.py


# In [33]:
import torch
import numpy as np
import torch.nn as nn


# In [34]:
x = torch.tensor(1.0)

y = torch.tensor(2.0)

w = torch.tensor(1.0, requires_grad=True)


# In [35]:
y_hat = w*x
loss = (y_hat - y)**2

print(loss)


# In [36]:
# Pytorch will calculate local gradients for us and will also computes the backward pass automatically

loss.backward() # This is the whole gradient calculation
print(w.grad)


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


# In [38]:
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


# Loss = MSE

def loss(y,y_predicted):
  return ((y_predicted-y)**2).mean()

# gradient
# MSE = 1/N * (w*x-y)**2
# dJ/dw = 1/N 2x (w*x-y)



print(f'Prediction before training : f(5) = {forward(5):.3f}')

# Training

learning_rate = 0.01
n_iters = 100

for epoch in range(n_iters):

  # prediction = forward pass
  y_pred = forward(x)

  # loss
  l = loss(y,y_pred)

  # gradients = backward pass
  l.backward() # dl/dw

  # update weights
  with torch.no_grad():
    w -= learning_rate * w.grad

  # Zero gradients
  w.grad.zero_()

  if epoch % 10 == 0:
    print(f'epoch {epoch+1}: w={w:.3f},loss = {l:.8f}')

print(f'Prediction after training : f(5) = {forward(5):.3f}')


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


# In [41]:
# f = w * x

# f = 2 * x

# some training examples

# this must be 2D array now

x = torch.tensor([[1],[2],[3],[4]], dtype=torch.float32)
y = torch.tensor([[2],[4],[6],[8]], dtype=torch.float32)

x_test = torch.tensor([5],dtype=torch.float32)


n_samples, n_features= x.shape
print(n_samples,n_features)

input_size = n_features
output_size = n_features

#model = nn.Linear(input_size,output_size)

# Custom model

class LinearRegression(nn.Module):
  def __init__(self,input_dim,output_dim):
    super(LinearRegression,self).__init__()
    #define our layers
    self.lin = nn.Linear(input_dim,output_dim)

  def forward(self,x):
    return self.lin(x)

model=LinearRegression(input_size,output_size)


print(f'Prediction before training : f(5) = {model(x_test).item():.3f}')

# Training

learning_rate = 0.01
n_iters = 100

loss = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

for epoch in range(n_iters):

  # prediction = forward pass
  y_pred = model(x)

  # loss
  l = loss(y,y_pred)

  # gradients = backward pass
  l.backward() # dl/dw

  # update weights
  optimizer.step()

  # Zero gradients
  optimizer.zero_grad()

  if epoch % 10 == 0:
    [w,b] = model.parameters()
    print(f'epoch {epoch+1}: w={w[0][0].item():.3f},loss = {l:.8f}')

print(f'Prediction before training : f(5) = {model(x_test).item():.3f}')
