"""The thin ``netpharm`` command-line front end."""
