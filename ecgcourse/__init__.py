"""Helper package for the ecgcourse notebooks.

Small modules, one job each:

- :mod:`ecgcourse.records`   read WFDB records and annotations (pack, data dir, PhysioNet)
- :mod:`ecgcourse.labels`    MIT-BIH beat symbols mapped to AAMI classes
- :mod:`ecgcourse.signals`   resampling, band-pass filtering, cutting beats and windows
- :mod:`ecgcourse.beats`     beat datasets with record ids and RR intervals kept beside them
- :mod:`ecgcourse.features`  RR-timing and morphology features for baselines
- :mod:`ecgcourse.noise`     real nstdb noise mixed in at a chosen SNR
- :mod:`ecgcourse.scores`    per-class Se, +P, F1, balanced accuracy, confusion matrices
- :mod:`ecgcourse.normalise` normalisers that refuse to be used unfitted
- :mod:`ecgcourse.splits`    DS1/DS2, record-wise and group k-fold splits, leakage checks
- :mod:`ecgcourse.pipeline`  a saved model with its normaliser and sampling rate
- :mod:`ecgcourse.guard`     an out-of-distribution guard for beats, saved with the temperature
- :mod:`ecgcourse.plotting`  ECG paper
- :mod:`ecgcourse.results`   headline numbers a notebook reports to the runner
- :mod:`ecgcourse.checks`    closing checks that record how close they came to failing
- :mod:`ecgcourse.seeding`   one way to seed Python, NumPy, Keras and TensorFlow
- :mod:`ecgcourse.pack`      build and verify the committed course pack
- :mod:`ecgcourse.runner`    execute notebooks with papermill into build/<profile>/
- :mod:`ecgcourse.sweep`     run notebooks at several seeds; each check's closest call
- :mod:`ecgcourse.report`    the course report page: run times, headline numbers, key figures
- :mod:`ecgcourse.timings`   measured run times as a table for the instructor guide
- :mod:`ecgcourse.exercises` handouts: the notebooks with solutions replaced by stubs
- :mod:`ecgcourse.workspace` the notebooks and handouts, copied to a folder to work in
- :mod:`ecgcourse.stamp`     the public repository address, written where hosted runtimes need it
- :mod:`ecgcourse.doctor`    is this machine ready for the course, and what to fix
- :mod:`ecgcourse.atomic`    writes that never leave a half-written file or folder
- :mod:`ecgcourse.paths`     where the pack, notebooks and build folder are (checkout or wheel)
"""

__version__ = "0.1.0"

COURSE_FS = 250
"""The course's fixed sampling rate in Hz: every model sees signals at this rate."""
