"""Amazon Rekognition behind the face port: DetectFaces (quality gate), CompareFaces (the live face vs the
portrait on the ID card, and vs the uploaded selfie) and Face Liveness sessions with their reference image.
Only numbers and the live face's reference frame leave this module; images are sent as bytes and never stored
by Rekognition (no collections are used)."""

from __future__ import annotations

from typing import Any

from ..domain.face import DetectedFace, LivenessResult
from ..ports import FaceService


class RekognitionFaces(FaceService):
    def __init__(self, client: Any) -> None:
        self._rekognition = client

    def detect(self, image: bytes) -> list[DetectedFace]:
        response = self._rekognition.detect_faces(Image={"Bytes": image}, Attributes=["ALL"])
        return [DetectedFace(f["Confidence"], f["Pose"]["Yaw"], f["Pose"]["Pitch"],
                             bool(f.get("Sunglasses", {}).get("Value", False)), f["Quality"]["Sharpness"],
                             f["Quality"]["Brightness"]) for f in response["FaceDetails"]]

    def similarity(self, source_face: bytes, target_image: bytes) -> float | None:
        response = self._rekognition.compare_faces(SourceImage={"Bytes": source_face},
                                                   TargetImage={"Bytes": target_image}, SimilarityThreshold=0)
        matches = response.get("FaceMatches", [])
        return max((float(m["Similarity"]) for m in matches), default=None)

    def start_liveness(self, request_token: str) -> str:
        return str(self._rekognition.create_face_liveness_session(ClientRequestToken=request_token)["SessionId"])

    def liveness_result(self, session_id: str) -> LivenessResult:
        response = self._rekognition.get_face_liveness_session_results(SessionId=session_id)
        reference = response.get("ReferenceImage", {}).get("Bytes")
        return LivenessResult(str(response["Status"]), float(response.get("Confidence", 0.0)),
                              bytes(reference) if reference else None)
