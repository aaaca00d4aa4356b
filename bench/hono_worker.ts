/** The reference for the workerd start-up benchmark: Hono alone, with one route. */
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("ok"));

export default app;
