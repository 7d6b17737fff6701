"""Environment access for settings: the only place that reads ``os.environ``."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
