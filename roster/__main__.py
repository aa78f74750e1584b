"""`python3 -m roster`: the command line, where the `roster` script is not on PATH."""

from cli.main import app

app(prog_name="roster")
