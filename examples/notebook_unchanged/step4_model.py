# The seed notebook, step 4: the model is an nn.Module.
# Cells In [33], In [41],
# copied unchanged (trailing spaces aside) from seeds/000_ecf7e1d4f145254b.txt.
# The code still says `import torch`; run it on torchless with
#     python -m torchless run examples/notebook_unchanged/step4_model.py


# In [33]:
import torch
import numpy as np
import torch.nn as nn


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
