"""Credit risk scoring at run time: pure Python over an exported model (no scikit-learn, no pandas, no numpy
on the single-score path). Training lives in ml/."""
