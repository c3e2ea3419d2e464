import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Kafka, logLevel } from "kafkajs";

/** What the producer is invoked with. */
export interface ProducerEvent {
    /** How many numbers to publish (default 100, at most 10,000 per invocation). */
    count?: number;
    /** Upper bound of the random numbers (default: MAX_NUMBER). */
    max?: number;
    /** Publish exactly these numbers instead of random ones. */
    numbers?: number[];
}

/** The client certificate secret as Lambda's event source mapping reads it. */
export interface ClientCertSecret {
    certificate: string;
    privateKey: string;
}

/** Settings the producer reads from its environment. */
export interface ProducerSettings {
    brokers: string[];
    topic: string;
    partitions: number;
    replicationFactor: number;
    maxNumber: number;
}

/** The Kafka operations the producer needs (kafkajs in Lambda, a fake in tests). */
export interface KafkaPort {
    listTopics(): Promise<string[]>;
    createTopic(topic: string, partitions: number, replicationFactor: number): Promise<boolean>;
    send(topic: string, messages: { key: string; value: string }[]): Promise<void>;
    disconnect(): Promise<void>;
}

export const MAX_COUNT = 10_000;

/** The numbers one invocation publishes. */
export function numbersFor(event: ProducerEvent, maxNumber: number, random: () => number = Math.random): number[] {
    if (event.numbers) {
        return event.numbers;
    }
    const count = event.count ?? 100;
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
        throw new RangeError(`count must be an integer in 1..${MAX_COUNT}, got ${count}`);
    }
    const max = Math.min(event.max ?? maxNumber, maxNumber);
    return Array.from({ length: count }, () => 1 + Math.floor(random() * max));
}

/** Creates the topic when it does not exist yet, then publishes the numbers as `{"number": n}`. */
export async function produce(event: ProducerEvent, kafka: KafkaPort, settings: ProducerSettings): Promise<{ created: boolean; published: number }> {
    const numbers = numbersFor(event, settings.maxNumber);
    try {
        let created = false;
        if (!(await kafka.listTopics()).includes(settings.topic)) {
            created = await kafka.createTopic(settings.topic, settings.partitions, settings.replicationFactor);
        }
        await kafka.send(
            settings.topic,
            numbers.map((n, i) => ({ key: String(i), value: JSON.stringify({ number: n }) })),
        );
        return { created, published: numbers.length };
    } finally {
        await kafka.disconnect();
    }
}

/** Parses and checks the secret's JSON. */
export function parseClientCert(secretString: string | undefined): ClientCertSecret {
    const parsed = JSON.parse(secretString ?? "{}") as Partial<ClientCertSecret>;
    if (!parsed.certificate || !parsed.privateKey) {
        throw new Error("client certificate secret must hold {certificate, privateKey}");
    }
    return { certificate: parsed.certificate, privateKey: parsed.privateKey };
}

/** A kafkajs-backed {@link KafkaPort} over mutual TLS. */
export function kafkajsPort(brokers: string[], cert: ClientCertSecret): KafkaPort {
    const kafka = new Kafka({
        clientId: "awsarch-msk-producer",
        brokers,
        ssl: { rejectUnauthorized: true, cert: cert.certificate, key: cert.privateKey },
        logLevel: logLevel.WARN,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    let adminUp = false;
    let producerUp = false;
    return {
        async listTopics() {
            if (!adminUp) {
                await admin.connect();
                adminUp = true;
            }
            return admin.listTopics();
        },
        async createTopic(topic, numPartitions, replicationFactor) {
            return admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions, replicationFactor }] });
        },
        async send(topic, messages) {
            if (!producerUp) {
                await producer.connect();
                producerUp = true;
            }
            await producer.send({ topic, messages });
        },
        async disconnect() {
            await Promise.all([adminUp ? admin.disconnect() : undefined, producerUp ? producer.disconnect() : undefined]);
        },
    };
}

const secrets = new SecretsManagerClient({});

/** Lambda entry point. */
export async function handler(event: ProducerEvent = {}): Promise<{ created: boolean; published: number }> {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.CLIENT_CERT_SECRET_ARN }));
    const cert = parseClientCert(out.SecretString);
    const settings: ProducerSettings = {
        brokers: (process.env.BOOTSTRAP_BROKERS ?? "").split(",").filter(Boolean),
        topic: process.env.TOPIC ?? "exampleTopic",
        partitions: Number(process.env.PARTITIONS ?? 3),
        replicationFactor: Number(process.env.REPLICATION_FACTOR ?? 2),
        maxNumber: Number(process.env.MAX_NUMBER ?? Number.MAX_SAFE_INTEGER),
    };
    return produce(event, kafkajsPort(settings.brokers, cert), settings);
}
