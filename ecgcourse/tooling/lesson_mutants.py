"""The lesson mutants of each notebook: what a student (or a careless edit) would get wrong,
each undoing one thing the lesson says matters (:mod:`ecgcourse.tooling.mutants`).

An edit is ``(old, new)``: ``old`` must occur exactly once in the notebook's code cells.
Keep mutants honest: they undo the lesson's ingredient the way a real mistake would, never
by editing the closing check itself.
"""

from __future__ import annotations

from ecgcourse.tooling.mutants import Mutant

MUTANTS: tuple[Mutant, ...] = (
    # 01: resampling that keeps duration, beat marks and the curve (the counts -> mV
    # conversion is exercise 1, whose check the probes test)
    Mutant(
        "01_loading",
        "marks_not_moved",
        "beat marks kept at 360 Hz sample numbers after resampling to 250 Hz",
        (
            (
                "peaks_course = resample_positions(peaks_native, record.fs, fs_out=COURSE_FS)",
                "peaks_course = np.minimum(peaks_native, len(x_course) - 100)",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "01_loading",
        "marks_floored",
        "beat marks truncated, not rounded, to the 250 Hz grid",
        (
            (
                "peaks_course = resample_positions(peaks_native, record.fs, fs_out=COURSE_FS)",
                "peaks_course = (peaks_native * COURSE_FS // record.fs).astype(np.int64)",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "01_loading",
        "samples_picked",
        "resampling by picking the nearest 360 Hz sample (no interpolation, no anti-aliasing)",
        (
            (
                "x_clean = resample(bandpass(x, record.fs), record.fs, fs_out=COURSE_FS)",
                "x_clean = bandpass(x, record.fs)[np.round(np.arange(round(len(x) * COURSE_FS / "
                "record.fs)) * record.fs / COURSE_FS).astype(int).clip(0, len(x) - 1)]",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "01_loading",
        "rate_not_changed",
        "the signal left at 360 Hz and treated as 250 Hz",
        (("x_course = resample(x, record.fs, fs_out=COURSE_FS)", "x_course = x.copy()"),),
    ),
    # 02: statistics from the training patients travel with the model; per-window removes a gain
    Mutant(
        "02_normalising",
        "per_window_replaced_by_global_max",
        "per-window standardisation replaced by the training patients' global max",
        (
            (
                "pipeline = make_pipeline(Normaliser(method, fs=FS), make_network())",
                'fixed = "global_max" if method == "per_window" else method\n'
                "    pipeline = make_pipeline(Normaliser(fixed, fs=FS), make_network())",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "02_normalising",
        "statistics_fitted_on_each_new_recording",
        "the normaliser fitted on the new recordings themselves (fit_transform on test data)",
        (
            (
                "Z = norm.transform(X[held_rows])",
                "Z = Normaliser(method, fs=FS).fit(X[held_rows]).transform(X[held_rows])",
            ),
            (
                "predicted[method, shift][test] = model.predict(X[test])",
                "predicted[method, shift][test] = model[-1].predict(\n"
                "                Normaliser(method, fs=FS).fit(X[test]).transform(X[test])\n"
                "            )",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "02_normalising",
        "linear_model_standardised_per_window",
        "story A's linear model fed per-window standardised beats instead of the global max",
        (
            (
                'Normaliser("global_max", fs=FS), LogisticRegression(',
                'Normaliser("per_window", fs=FS), LogisticRegression(',
            ),
        ),
    ),  # fmt: skip
    # 03: folds drawn beat by beat leak patients; validation_split takes the last rows
    Mutant(
        "03_splitting",
        "beatwise_folds_by_patient",
        "the beat-wise folds dealt by patient: no beat of a held-out patient in training",
        (
            (
                "folds_bw = list(KFold(n_folds, shuffle=True, random_state=seed).split(features))",
                "folds_bw = list(GroupKFold(n_folds).split(features, y, groups=beats.record))",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "03_splitting",
        "validation_split_from_the_start",
        "Keras's validation_split read as the first rows of the arrays",
        (('"last part": np.arange(split_at, len(x_keras)),', '"last part": np.arange(n_val),'),),
    ),  # fmt: skip
    Mutant(
        "03_splitting",
        "shuffled_before_validation_split",
        "the beats shuffled before fit, so validation_split holds out a random part",
        (
            (
                "x_keras = per_window.transform(beats.X, fs=beats.fs)",
                "beats = beats.subset(np.random.default_rng(seed).permutation(len(beats)))\n"
                "y = beats.label\n"
                "x_keras = per_window.transform(beats.X, fs=beats.fs)",
            ),
        ),
    ),  # fmt: skip
    # 04: class weights trade +P for Se, timing finds S, accuracy hides rare classes, and
    # scores of new patients need folds that keep each patient whole
    Mutant(
        "04_baseline",
        "no_class_weights",
        "the 'weighted' logistic regression trained without class weights",
        (
            (
                'cross_val_predict(make_candidate("logistic, weighted"), X, y, cv=folds)',
                'cross_val_predict(make_candidate("logistic"), X, y, cv=folds)',
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "04_baseline",
        "shape_only_keeps_rr",
        "the 'shape only' model given the RR features too",
        (
            (
                'make_candidate("logistic, weighted"), X[:, SHAPE_COLUMNS], y, cv=folds',
                'make_candidate("logistic, weighted"), X, y, cv=folds',
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "04_baseline",
        "chance_for_majority",
        "a uniformly random guess taken as the 'always N' reference",
        (
            (
                'DummyClassifier(strategy="most_frequent")',
                'DummyClassifier(strategy="uniform", random_state=seed)',
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "04_baseline",
        "beatwise_folds",
        "folds drawn beat by beat, each patient on both sides",
        (
            (
                "folds = list(group_kfold(beats.record, y, n_splits=n_folds))",
                "folds = list(__import__('sklearn.model_selection').model_selection"
                ".StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(X, y))",
            ),
        ),
    ),  # fmt: skip
    # 05: class weights, the timing joined in, the shape joined in, intervals over patients
    Mutant(
        "05_cnn",
        "no_class_weights",
        "the network trained without class weights (every beat weighs 1)",
        (
            (
                "weight_of_class = len(y) / (len(CLASSES) * "
                "np.bincount(y, minlength=len(CLASSES)))",
                "weight_of_class = np.ones(len(CLASSES))",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "05_cnn",
        "timing_not_joined",
        "the timing branch built but not joined to the output (multiplied by 0)",
        (("h = layers.Concatenate()([h, timing])", "h = layers.Concatenate()([h, timing * 0.0])"),),
    ),  # fmt: skip
    Mutant(
        "05_cnn",
        "shape_not_joined",
        "the convolutions built but not joined to the output (multiplied by 0)",
        (("h = layers.Concatenate()([h, timing])", "h = layers.Concatenate()([h * 0.0, timing])"),),
    ),  # fmt: skip
    Mutant(
        "05_cnn",
        "intervals_over_beats",
        "the bootstrap draws beats, not patients",
        (
            (
                "boot = bootstrap_by_record(ds2.label, test, ds2.record,",
                "boot = bootstrap_by_record(ds2.label, test, np.arange(len(ds2)),",
            ),
        ),
    ),  # fmt: skip
    # 06: the diagnostics and the fix (the balanced accuracy, the one-batch loop, the
    # shuffled-label control, the network and its training are exercises the probes test)
    Mutant(
        "06_overfitting",
        "learning_rate_zero",
        "the one-batch diagnostic run on a bug: a learning rate of 0, weights that never move",
        (
            (
                "one_batch = fit_one_batch(fresh_story_b(1e-3),",
                "one_batch = fit_one_batch(fresh_story_b(0.0),",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "06_overfitting",
        "storyb_right_sized",
        "story B's training (raw mV, no shuffling) with a right-sized, global-max network",
        (
            (
                "model = story_b_network(x.shape[1], storyb_filters, storyb_kernel, n_classes=2)",
                "model = minute_cnn(x.shape[1])",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "06_overfitting",
        "fix_keeps_storyb_network",
        "the fix (inputs, augmentation, shuffling) with story B's network: Flatten, wide kernels",
        (
            (
                "build = written_or(build_minute_cnn, minute_cnn)",
                "build = lambda n: story_b_network(n, storyb_filters, storyb_kernel, n_classes=2)",
            ),
        ),
    ),  # fmt: skip
    # 07: story A saturates because its inputs keep their size; the fix standardises each beat
    Mutant(
        "07_saturation",
        "story_a_per_window",
        "story A's model with per-window standardisation instead of the global max",
        (
            (
                'global_max = Normaliser("global_max", fs=FS).fit(train.X)',
                'global_max = Normaliser("per_window", fs=FS).fit(train.X)',
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "07_saturation",
        "fix_keeps_global_max",
        "the fix (linear output, loss from logits) on story A's global-max inputs",
        (
            (
                'per_window = Normaliser("per_window", fs=FS).fit(train.X)',
                'per_window = Normaliser("global_max", fs=FS).fit(train.X)',
            ),
        ),
    ),  # fmt: skip
    # 08: calibrate on patients the model never saw; a guard fitted on the training beats
    Mutant(
        "08_calibration",
        "calibrated_on_training_patients",
        "the temperature fitted on the logits of the patients the model trained on",
        (
            (
                'temperature = record_metric("temperature", fit_t(z_cal, y_cal))',
                'temperature = record_metric("temperature", '
                "fit_t(pipeline.predict(fit.X, fs=FS)[:, 0], y_fit))",
            ),
            (
                "t_left_out[mine] = fit_t(z_cal[~mine], y_cal[~mine])",
                "t_left_out[mine] = fit_t(pipeline.predict(fit.X, fs=FS)[:, 0], y_fit)",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "08_calibration",
        "guard_on_standardised_beats",
        "the guard fitted on the standardised beats the model sees, not the beats in mV",
        (("guard.fit(fit.X)", "guard.fit(per_window.transform(fit.X))"),),
    ),
    Mutant(
        "08_calibration",
        "abstain_at_random",
        "abstaining on as many beats as the guard, drawn at random instead of the least sure",
        (
            (
                "kept_sure = keep_surest(z_heavy, int(kept_guard.sum()))",
                "kept_sure = np.random.default_rng(seed).permutation(len(z_heavy)) "
                "< kept_guard.sum()",
            ),
        ),
    ),  # fmt: skip
    # 10: a file's path tested by a round trip; the guard refuses units; noise as nstdb adds it
    Mutant(
        "10_capstone",
        "marks_not_moved",
        "the round-trip file's beat marks left at 360 Hz sample numbers in a 500 Hz file",
        (
            (
                "marks_new = resample_positions(reference.sample, original.fs, "
                "fs_out=roundtrip_fs)",
                "marks_new = reference.sample",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "10_capstone",
        "units_not_converted",
        "the file's microvolts fed to the pipeline as they are",
        (("    x_mv = record.p_signal[:, 0] * TO_MV[unit]", "    x_mv = record.p_signal[:, 0]"),),
    ),
    Mutant(
        "10_capstone",
        "story_a_per_window",
        "story A's model with per-window standardisation instead of the global max",
        (
            (
                'global_max = Normaliser("global_max", fs=FS).fit(train.X)',
                'global_max = Normaliser("per_window", fs=FS).fit(train.X)',
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "10_capstone",
        "guard_not_consulted",
        "the pipeline's answers taken without asking its guard",
        (
            (
                "return pipeline.predict(X, fs=FS)[:, 0], guard.flags(X, fs=FS)",
                "return pipeline.predict(X, fs=FS)[:, 0], np.zeros(len(X), dtype=bool)",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "10_capstone",
        "heart_rate_from_annotations",
        "the heart rate counted at the annotators' beats, not at a detector's",
        (
            (
                'detected = processing.xqrs_detect(rec.lead("MLII"), fs=rec.fs, verbose=False)',
                "detected = annotated",
            ),
        ),
    ),  # fmt: skip
    Mutant(
        "10_capstone",
        "noise_not_added",
        "the noisy versions of DS2 built without the noise",
        (
            (
                "change = None if snr is None else recorded_noise(ma, snr, data_dir=data_dir)",
                "change = None",
            ),
        ),
    ),  # fmt: skip
)
"""Every mutant of every notebook."""

NOT_YET_FAILED: dict[str, set[str]] = {
    "09_segmentation": {
        "assert_line_1",
        "assert_line_110",
        "assert_line_112",
        "mitdb_gqrs_f1",
        "mitdb_unet_f1",
        "mitdb_unet_minus_xqrs_f1",
        "mitdb_unet_minus_xqrs_f1_low",
        "mitdb_xqrs360_f1",
        "mitdb_xqrs_f1",
        "p_false_per_record_no_p_over_with_p",
        "p_ppv_with_p_waves",
        "p_sensitivity",
        "qrs_offset_bias_ms",
        "qrs_offset_sd_ms",
        "qrs_onset_bias_ms",
        "qrs_onset_sd_ms",
        "qrs_ppv",
        "qrs_sensitivity",
        "reference_qrs_onset_earliest_before_median_ms",
        "regression_pred_sd_ratio",
        "regression_vs_mean_error_ratio_high",
        "regression_vs_mean_error_ratio_low",
        "storyd_cnn_vs_mean_error_ratio",
        "storyd_lstm_longer_vs_mean_error_ratio",
        "storyd_unet_over_cnn_error",
        "storyd_unet_vs_mean_error_ratio",
        "t_offset_sd_ms",
        "t_ppv",
        "t_sensitivity",
    },
}
"""Per notebook, the closing checks (and ``assert_line_N`` asserts of the last cell) that no
mutant fails yet: the notebook issues rewrite or remove them. Only shrinks; a test compares
it with ``benchmarks/mutants.json``."""
