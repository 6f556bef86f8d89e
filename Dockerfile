# ainews with the PostgreSQL extra: the same `pip install` the test suite exercises.
# Not built in CI here (no Docker engine); see README "Storage, scale and fault tolerance".
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ainews ./ainews
RUN python -m pip install --no-cache-dir --upgrade pip && python -m pip install --no-cache-dir '.[postgres]'
RUN useradd --create-home ainews
USER ainews
ENV AINEWS_DB=postgresql+psycopg://ainews:ainews@db/ainews
ENTRYPOINT ["ainews"]
CMD ["worker", "--concurrency", "8"]
