import sys

from netpharm.cli.main import main

sys.exit(main())
