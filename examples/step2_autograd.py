"""Step 2 of the seed notebook (cells In [34] to In [36], then In [38]): autograd.

First one forward and backward pass on scalars: ``loss.backward()`` computes dloss/dw for us.
Then the linear regression of step 1 again, with the hand-written gradient replaced by
autograd; prediction, loss and update are still written by hand.

Run it with ``python examples/step2_autograd.py``.
"""

import torchless as torch


def main() -> None:
    # In [34]
    x = torch.tensor(1.0)

    y = torch.tensor(2.0)

    w = torch.tensor(1.0, requires_grad=True)

    # Forward pass and compute the loss (In [35])
    y_hat = w * x
    loss = (y_hat - y) ** 2

    print(loss)

    # Backward pass (In [36])
    # Pytorch will calculate local gradients for us and will also computes the backward pass
    # automatically

    loss.backward()  # This is the whole gradient calculation
    print(w.grad)

    # Everything with PyTorch, and no more hand-written gradient (In [38])

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

    # Loss = MSE

    def loss(y, y_predicted):
        return ((y_predicted - y) ** 2).mean()

    print(f"Prediction before training : f(5) = {forward(5):.3f}")

    # Training

    learning_rate = 0.01
    n_iters = 100

    for epoch in range(n_iters):
        # prediction = forward pass
        y_pred = forward(x)

        # loss
        l = loss(y, y_pred)

        # gradients = backward pass
        l.backward()  # dl/dw

        # update weights
        with torch.no_grad():
            w -= learning_rate * w.grad

        # Zero gradients
        w.grad.zero_()

        if epoch % 10 == 0:
            print(f"epoch {epoch + 1}: w={w:.3f},loss = {l:.8f}")

    print(f"Prediction after training : f(5) = {forward(5):.3f}")


if __name__ == "__main__":
    main()
