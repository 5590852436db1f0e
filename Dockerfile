FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY apps ./apps
RUN pip install --no-cache-dir -e .
COPY . .
RUN useradd --create-home quotes && chown -R quotes /app
USER quotes
EXPOSE 8000
