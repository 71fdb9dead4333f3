from fdash.cli import main

raise SystemExit(main())
