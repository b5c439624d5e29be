import type { ReactNode } from "react";
import type { Resource } from "../hooks/useResource";
import { ErrorNote } from "./ErrorNote";
import { Loading } from "./Loading";
import { Button } from "./Button";

/** Shows loading until the first data arrives, an error with a retry button, then `children(data)`. */
export function ResourceView<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ReactNode }) {
  if (resource.error && resource.data === undefined) {
    return (
      <div className="flex flex-col items-start gap-2">
        <ErrorNote error={resource.error} />
        <Button small onClick={() => void resource.reload()}>
          Retry
        </Button>
      </div>
    );
  }
  if (resource.data === undefined) return <Loading />;
  return (
    <>
      {resource.error ? <ErrorNote error={resource.error} /> : null}
      {children(resource.data)}
    </>
  );
}
