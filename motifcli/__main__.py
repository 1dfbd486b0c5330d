"""``python -m motifcli``: the same as the ``motif`` script."""

from motifcli.launch import main

main()
