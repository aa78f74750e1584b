"""Reading a bureau's responsibility table as it is published, into roster's data folder.

`documents` reads the Word document, workbook or copied web page into rows of cells; `grammar`
reads the Chinese phrases of its cells; `convert` makes the data folder's files and `report`
says what was read and every choice made where the table is silent. Only the domain (`roster`)
and libraries are imported here: no console, no web framework.
"""
