import sys

from resiliency_analyser.cli.app import main

sys.exit(main())
