"""``python -m mooc`` runs the ``mooc`` command."""
from mooc.cli import run

if __name__ == "__main__":
    run()
