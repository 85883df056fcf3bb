import sys

from resiliency_analyser.cli import main

sys.exit(main())
