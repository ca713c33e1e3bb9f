"""Step 3 of the seed notebook (cell In [39]): a loss from nn and an optimizer from optim.

The same linear regression; ``nn.MSELoss`` computes the loss and ``torch.optim.SGD`` updates
the weight and zeroes its gradient. Only the prediction is still written by hand.

Run it with ``python examples/step3_loss_optimizer.py``.
"""

import torchless as torch
import torchless.nn as nn


def main() -> None:
    # f = w * x

    # f = 2 * x

    # some training examples

    x = torch.tensor([1, 2, 3, 4], dtype=torch.float32)
    y = torch.tensor([2, 4, 6, 8], dtype=torch.float32)

    # Initializing our weights

    w = torch.tensor(0.0, dtype=torch.float32, requires_grad=True)

    # model prediction

    def forward(x):
        return w * x

    print(f"Prediction before training : f(5) = {forward(5):.3f}")

    # Training

    learning_rate = 0.01
    n_iters = 100

    loss = nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=learning_rate)

    for epoch in range(n_iters):
        # prediction = forward pass
        y_pred = forward(x)

        # loss
        l = loss(y, y_pred)

        # gradients = backward pass
        l.backward()  # dl/dw

        # update weights
        optimizer.step()

        # Zero gradients
        optimizer.zero_grad()

        if epoch % 10 == 0:
            print(f"epoch {epoch + 1}: w={w:.3f},loss = {l:.8f}")

    print(f"Prediction after training : f(5) = {forward(5):.3f}")


if __name__ == "__main__":
    main()
