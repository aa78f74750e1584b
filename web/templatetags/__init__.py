"""The web application's template tags."""
