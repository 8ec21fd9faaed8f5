# storyscope's web UI and REST API (`storyscope serve`) on a store kept in a volume.
#
#   docker build -t storyscope .
#   docker run --rm -v storyscope-data:/data -v "$PWD/articles:/articles:ro" storyscope \
#       storyscope ingest /articles --analyze          # fills /data/storyscope.db
#   docker run --rm -p 8000:8000 -v storyscope-data:/data storyscope
#
# See docs/deploy.md ("Container"). CPU only: the sentence embedder is an int8 ONNX model run by
# onnxruntime, and nothing installed here needs torch.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STORYSCOPE_DB=/data/storyscope.db

WORKDIR /build
COPY pyproject.toml constraints.txt README.md LICENSE NOTICE ./
COPY src ./src
# The project and its pinned dependencies (constraints.txt), from PyPI. The last step fails the
# build if a dependency ever pulls torch in (PyPI's default torch is a multi-GB CUDA build).
RUN python -m pip install --upgrade 'pip>=25.1' \
    && python -m pip install -c constraints.txt . \
    && python -c "import importlib.util, sys; sys.exit('torch must not be installed' if importlib.util.find_spec('torch') else 0)" \
    && storyscope --version \
    && rm -rf /build

RUN useradd --create-home --uid 10001 storyscope \
    && mkdir -p /data \
    && chown storyscope /data
USER storyscope
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]

CMD ["storyscope", "serve", "--host", "0.0.0.0", "--port", "8000", "--db", "/data/storyscope.db"]
