# syntax=docker/dockerfile:1
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY resiliency_analyser ./resiliency_analyser
# Wheels of the tool and of every dependency, the demo's included.
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[demo]'

FROM python:3.12-slim
# HOME is set for any uid: `docker run --user "$(id -u):$(id -g)"` runs as the host user, who then
# reads their own 0600 AWS files and owns what the scan writes, though no passwd entry names them.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOME=/home/analyser
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels \
        "$(find /wheels -name 'resiliency_analyser-*.whl')[demo]" \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 analyser \
    && chmod 1777 /home/analyser
USER 10001
WORKDIR /home/analyser
ENTRYPOINT ["resiliency-analyser"]
CMD ["--help"]
