"""`python -m bot` runs the `kefu` command line."""
from bot.cli import main

raise SystemExit(main())
