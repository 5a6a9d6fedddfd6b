"""Everything that happens in the kernel while a run trains.

The recorder (:mod:`.recorder`) buffers a run's points and its writer
(:mod:`.writer`) persists them, to the journal or, when it does not answer, to
the local spool (:mod:`.spool`). The fit hooks attach the recorder to every
Keras ``fit`` (:mod:`.fit_hook`, :mod:`.keras_callback`) and scikit-learn
``fit`` (:mod:`.estimator_hook`) of a cell, through one import hook
(:mod:`.import_hook`) when the library is imported by the cell itself, and run
the checks before each fit (:mod:`.check_hook`). Nothing here is imported at
``%load_ext``; Keras only when a cell trains a Keras model.
"""
