# The image compose.yaml runs for web, worker, housekeeping and migrate.
FROM python:3.12-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 PAIRING_INSTANCE_DIR=/data/instance
COPY pyproject.toml README.md ./
COPY pairing pairing
COPY solver solver
COPY migrations migrations
COPY templates templates
COPY static static
COPY translations translations
COPY gunicorn.conf.py ./
# Editable: templates, static and translations are read from /app beside the package.
RUN pip install --no-cache-dir -e . && python -m pairing.i18n
EXPOSE 8000
