"""The office's web application and the calendar feed server (`roster serve`).

Django at the edge: views read the workspace and call `workspace.operations`; templates render.
"""
