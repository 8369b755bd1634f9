"""`python -m gardener` runs the CLI."""

from gardener.cli import main

if __name__ == "__main__":
    main()
