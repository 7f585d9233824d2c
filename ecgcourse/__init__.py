"""Helper package for the ecgcourse notebooks: the ECG and deep-learning helpers they import.

Small modules, one job each:

- :mod:`ecgcourse.records`   read WFDB records and annotations (pack, data dir, PhysioNet)
- :mod:`ecgcourse.labels`    MIT-BIH beat symbols mapped to AAMI classes
- :mod:`ecgcourse.signals`   resampling, band-pass filtering, cutting beats and windows
- :mod:`ecgcourse.beats`     beat datasets with record ids and RR intervals kept beside them
- :mod:`ecgcourse.beat_inputs` notebook 5's inputs: shape and timing relative to the patient
- :mod:`ecgcourse.features`  RR-timing and morphology features for baselines
- :mod:`ecgcourse.noise`     real nstdb noise mixed in at a chosen SNR
- :mod:`ecgcourse.shifts`    what a test recording meets: another gain, ADC counts, offset, noise
- :mod:`ecgcourse.models`    networks that more than one notebook builds
- :mod:`ecgcourse.training`  notebook 5's training: ``tf.data``, class weights, out-of-fold
- :mod:`ecgcourse.thresholds` alarm thresholds for rare classes, from out-of-fold probabilities
- :mod:`ecgcourse.scores`    per-class Se, +P, F1, balanced accuracy, confusion matrices
- :mod:`ecgcourse.bootstrap` confidence intervals from a bootstrap over records (patients)
- :mod:`ecgcourse.normalise` normalisers that refuse to be used unfitted
- :mod:`ecgcourse.splits`    DS1/DS2, record-wise and group k-fold splits, leakage checks
- :mod:`ecgcourse.pipeline`  a saved model with its normaliser and sampling rate
- :mod:`ecgcourse.guard`     an out-of-distribution guard for beats, saved with the temperature
- :mod:`ecgcourse.upstream`  the mark a notebook leaves on a pipeline whose lesson held
- :mod:`ecgcourse.plotting`  ECG paper
- :mod:`ecgcourse.results`   headline numbers a notebook reports to the runner
- :mod:`ecgcourse.checks`    closing checks that record how close they came to failing
- :mod:`ecgcourse.seeding`   one way to seed Python, NumPy, Keras and TensorFlow
- :mod:`ecgcourse.atomic`    writes that never leave a half-written file, nor replace yours
- :mod:`ecgcourse.paths`     where the pack, notebooks and build folder are (checkout or wheel)
- :mod:`ecgcourse.runtime`   the TensorFlow, Keras and NumPy in use against the tested range

:mod:`ecgcourse.tooling` holds the machinery that runs and checks the course (runner, sweep,
report, handouts, lint, pack, doctor, ...); ``python -m ecgcourse`` is its command line.
"""

__version__ = "0.1.0"

from ecgcourse.runtime import check_stack as _check_stack  # noqa: E402

_check_stack()  # a warning, with what to do, when TensorFlow, Keras or NumPy is off range

COURSE_FS = 250
"""The course's fixed sampling rate in Hz: every model sees signals at this rate."""
