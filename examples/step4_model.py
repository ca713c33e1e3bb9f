"""Step 4 of the seed notebook (cell In [41]): the model is an ``nn.Module``.

Prediction, gradients, loss and update all come from the library now: a custom module wraps
``nn.Linear``, ``nn.MSELoss`` is the loss and ``torch.optim.SGD`` updates
``model.parameters()``. The weights start random, so the numbers differ from run to run.

Run it with ``python examples/step4_model.py``.
"""

import torchless as torch
import torchless.nn as nn

# Custom model


class LinearRegression(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        # define our layers
        self.lin = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.lin(x)


def main() -> None:
    # f = w * x

    # f = 2 * x

    # some training examples

    # this must be 2D array now

    x = torch.tensor([[1], [2], [3], [4]], dtype=torch.float32)
    y = torch.tensor([[2], [4], [6], [8]], dtype=torch.float32)

    x_test = torch.tensor([5], dtype=torch.float32)

    n_samples, n_features = x.shape
    print(n_samples, n_features)

    input_size = n_features
    output_size = n_features

    # model = nn.Linear(input_size, output_size)

    model = LinearRegression(input_size, output_size)

    print(f"Prediction before training : f(5) = {model(x_test).item():.3f}")

    # Training

    learning_rate = 0.01
    n_iters = 100

    loss = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

    for epoch in range(n_iters):
        # prediction = forward pass
        y_pred = model(x)

        # loss
        l = loss(y, y_pred)

        # gradients = backward pass
        l.backward()  # dl/dw

        # update weights
        optimizer.step()

        # Zero gradients
        optimizer.zero_grad()

        if epoch % 10 == 0:
            [w, b] = model.parameters()
            print(f"epoch {epoch + 1}: w={w[0][0].item():.3f},loss = {l:.8f}")

    # (sic: the notebook says "before" here too; kept so the output lines up with it)
    print(f"Prediction before training : f(5) = {model(x_test).item():.3f}")


if __name__ == "__main__":
    main()
