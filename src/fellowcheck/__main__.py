"""The `fellowcheck` command (and `python -m fellowcheck`)."""

import sys


def run() -> None:
    """Start the command; Ctrl-C while it starts up ends it quietly (exit 130), as later."""
    try:
        from fellowcheck.cli import main
    except KeyboardInterrupt:
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
