"""The machinery that runs and checks the course, not what the notebooks teach with.

- :mod:`ecgcourse.tooling.runner`      execute notebooks with papermill into build/<profile>/
- :mod:`ecgcourse.tooling.profiles`    the papermill parameters of each profile (student, ci, full)
- :mod:`ecgcourse.tooling.sweep`       run notebooks at several seeds; each check's closest call
- :mod:`ecgcourse.tooling.report`      the course report page: run times, headline numbers, figures
- :mod:`ecgcourse.tooling.timings`     measured run times as a table for the instructor guide
- :mod:`ecgcourse.tooling.exercises`   handouts: the notebooks with solutions replaced by stubs
- :mod:`ecgcourse.tooling.conventions` notebooks/CONVENTIONS.md as lint rules
- :mod:`ecgcourse.tooling.workspace`   the notebooks and handouts, copied to a folder to work in
- :mod:`ecgcourse.tooling.pack`        build and verify the committed course pack
- :mod:`ecgcourse.tooling.stamp`       the public repository address, where hosted runtimes need it
- :mod:`ecgcourse.tooling.doctor`      is this machine ready for the course, and what to fix

``python -m ecgcourse COMMAND`` is their command line (:mod:`ecgcourse.__main__`).
"""
