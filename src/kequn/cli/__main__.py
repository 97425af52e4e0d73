"""`python -m kequn.cli`."""

from kequn.cli import program

program()
