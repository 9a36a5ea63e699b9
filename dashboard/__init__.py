"""The Customer 360 dashboard (Streamlit): `make dashboard`, then http://127.0.0.1:8501."""
