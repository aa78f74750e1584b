"""The operations of `roster`, one function each over a plain request, returning plain results.

The command line, the benchmarks and (later) the web application call these and nothing below
them: reading and checking the tables, expanding them into slots, solving a period, writing the
outputs, exporting an edited roster and rotating feed links. Errors of the user's input are
`roster.errors.InputError`, naming file, row and column; everything here is free of any console,
so each caller shows progress and results in its own way.
"""

from application.links import RotateRequest, rotate_links
from application.outputs import OutputRequest, Written, write_outputs
from application.rosters import (
    ExportRequest,
    check_roster,
    export_roster,
    own_history,
    read_rows,
)
from application.rows import assignment_rows, shortfall_rows
from application.solving import Solved, SolveRequest, prepare_roster, solve_roster
from application.tables import CheckReport, SlotsRequest, check_tables, expand_slots, read_tables

__all__ = [
    "CheckReport",
    "ExportRequest",
    "OutputRequest",
    "RotateRequest",
    "SlotsRequest",
    "SolveRequest",
    "Solved",
    "Written",
    "assignment_rows",
    "check_roster",
    "check_tables",
    "expand_slots",
    "export_roster",
    "own_history",
    "prepare_roster",
    "read_rows",
    "read_tables",
    "rotate_links",
    "shortfall_rows",
    "solve_roster",
    "write_outputs",
]
