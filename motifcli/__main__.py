"""``python -m motifcli``: the same as the ``motif`` script."""

from motifcli.cli import main

main()
