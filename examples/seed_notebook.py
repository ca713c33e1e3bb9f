"""The seed notebook on torchless: from hand-written gradients to a PyTorch model.

The four steps of ``seeds/000_ecf7e1d4f145254b.txt``, each a program of its own in this folder,
run one after the other. Each step hands one more piece of a linear regression (f = 2 * x) to
the library:

====  ==========  ========  ==========  =================
step  prediction  gradient  loss        parameter update
====  ==========  ========  ==========  =================
1     manual      manual    manual      manual
2     manual      autograd  manual      manual
3     manual      autograd  nn.MSELoss  optim.SGD
4     nn.Module   autograd  nn.MSELoss  optim.SGD
====  ==========  ========  ==========  =================

Run it with ``python examples/seed_notebook.py``. The notebook itself, unchanged, runs with
``python -m torchless run examples/notebook_unchanged/notebook.py``.
"""

import step1_manual_numpy
import step2_autograd
import step3_loss_optimizer
import step4_model

STEPS = [
    ("Step 1: prediction, gradient, loss and update by hand (NumPy)", step1_manual_numpy),
    ("Step 2: gradient by autograd", step2_autograd),
    ("Step 3: loss from nn, update by optim", step3_loss_optimizer),
    ("Step 4: model from nn", step4_model),
]


def main() -> None:
    for i, (title, step) in enumerate(STEPS):
        if i:
            print()
        print(f"# {title}")
        step.main()


if __name__ == "__main__":
    main()
