"""The command line's exit codes, in one place (the README's table lists the same)."""

OK = 0  # success; for `roster solve`, every slot staffed
INTERNAL = 1  # a bug in roster, not in the user's tables
INPUT = 2  # bad input or bad command-line usage
GAPS = 3  # `roster solve`: a roster was written, with gaps (never with --strict)
CONFLICT = 4  # `roster solve --strict`: the demand is not met; no roster, conflicts.txt says why
WRITE = 5  # an output could not be written: the disk is full, the folder read-only or not ours
