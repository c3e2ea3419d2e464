"use strict";
// Example handler of the container-image Lambda function. It answers with the
// image version (the VERSION file baked into the image) and echoes the input.
const fs = require("fs");
const path = require("path");

const version = (() => {
    try {
        return fs.readFileSync(path.join(__dirname, "VERSION"), "utf8").trim();
    } catch {
        return "unknown";
    }
})();

exports.handler = async (event) => {
    console.log(JSON.stringify({ msg: "invoked", version }));
    return { statusCode: 200, body: JSON.stringify({ message: "Hello from a container image", version, input: event ?? null }) };
};
