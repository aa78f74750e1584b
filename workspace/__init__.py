"""A campaign workspace: the campaign's memory (tables, leave, weeks, links, audit) in a database.

Django is used at this edge only, for its ORM and migrations: the models map to the domain's
dataclasses and back, and every computation goes through the application layer.
"""
