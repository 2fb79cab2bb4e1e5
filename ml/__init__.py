"""Offline model work: training, evaluation, model card, batch scoring. scikit-learn lives here only."""
