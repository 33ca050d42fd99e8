"""``python -m explorer``: the same entry point as the ``negotiation-explorer`` command."""

from explorer.launcher import main

raise SystemExit(main())
