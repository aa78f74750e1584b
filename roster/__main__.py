from roster.cli import app

app(prog_name="roster")
