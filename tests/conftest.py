# Every snippet of every page under docs/ is a test: see lessonkit.pytest_plugin.
pytest_plugins = ["lessonkit.pytest_plugin"]
