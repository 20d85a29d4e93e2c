# The mock as a container: `sendstat mock` on 0.0.0.0:8000, the control API behind a token, the state in Redis
# when SENDSTAT_STATE says so (compose.yaml runs three of these behind nginx; see docs/deploy.md).
#
#   docker build -t sendstat-mock .
#   docker run -p 8000:8000 -e SENDSTAT_CONTROL_TOKEN=... sendstat-mock

# Build the wheel (it carries openapi.yaml and the shipped scenarios inside the packages).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md openapi.yaml ./
COPY sendstat ./sendstat
COPY contract ./contract
COPY mockserver ./mockserver
COPY scenarios ./scenarios
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

# Run it: the wheel and its dependencies only, as a user of no privilege.
FROM python:3.11-slim
# The token's file is a path, not a secret (the secret is mounted there at run time).
# hadolint ignore=DL3064
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SENDSTAT_LOG_FORMAT=json \
    SENDSTAT_CONTROL_TOKEN_FILE=/run/secrets/control_token
COPY --from=build /dist /tmp/dist
RUN pip install --no-cache-dir /tmp/dist/*.whl \
    && rm -rf /tmp/dist \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin sendstat
USER 10001
EXPOSE 8000
# /health answers 200 while the mock serves, "degraded" included (Redis gone: the API still answers).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
# A control token is required: from SENDSTAT_CONTROL_TOKEN, else the secret file above (no token: exit 2).
ENTRYPOINT ["sendstat", "mock", "--host", "0.0.0.0", "--port", "8000"]
CMD ["--workers", "2"]
