"""What a course's settings change about every page's run, the same in the build, pytest and the command line.

The adapters read them from the lessonkit plugin's settings in mkdocs.yml
(lessonkit.mkdocs.config.course_of) and hand them to the parser, so that they
travel with each Page into its job, and so into its cache key.
"""

from dataclasses import dataclass

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Course:
    # seconds a snippet without timeout= may take (a float: 10 and 10.0 are one limit, and one cache key)
    timeout: float = DEFAULT_TIMEOUT
    # folders, relative to the project, that snippets import from before anything installed: the parents of
    # the course's packages, so that the build runs the very sources that the page's wheels are made of
    import_path: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "timeout", float(self.timeout))
        object.__setattr__(self, "import_path", tuple(self.import_path))
