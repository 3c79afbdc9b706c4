"""fellowcheck: checks a fellow's rotation schedule against the program's requirements."""

__version__ = "0.1.0"
