"""What each `newsarchive` command does, one module per group; cli.py parses the arguments."""
