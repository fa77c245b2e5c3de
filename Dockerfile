# The bridge image: Node 20, production dependencies, TypeScript run through tsx (no native addons).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY mappings ./mappings
COPY schematron ./schematron
COPY wsdl ./wsdl
COPY openapi ./openapi
ENV PORT=8080 FSE_SEF_CACHE_DIR=/var/cache/fse-bridge/sef FSE_DEV_PKI_DIR=/var/lib/fse-bridge/pki
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/status').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/fse-bridge.js"]
CMD ["start"]
