"""`python -m kequn.cli`."""

from kequn.cli import main

main()
