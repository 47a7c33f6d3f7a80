# The image behind docker-compose.yml: web (gunicorn), worker and beat share it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/var/lib/werkhaus
WORKDIR /app

# Pango for the monthly report as PDF (WeasyPrint); DejaVu as its font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt .

COPY . .
RUN SECRET_KEY=build python manage.py collectstatic --noinput -v 0 \
    && useradd --system --home /app werkhaus \
    && mkdir -p "$VAR_DIR" && chown -R werkhaus "$VAR_DIR"
USER werkhaus

EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py"]
